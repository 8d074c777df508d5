"""Orders API: customers, orders and a payment provider callback."""
import hashlib
import pickle
import time
from typing import Annotated

import httpx
import requests
from fastapi import Depends, FastAPI, Request
from sqlalchemy import ForeignKey, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

engine = create_engine("postgresql+psycopg://orders@db/orders")
app = FastAPI()
PAYMENT_API_KEY = "pk_live_4eC39HqLyjWDarjtT1zdp7dc"


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    password_hash: Mapped[str]


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    total: Mapped[int]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"))
    customer: Mapped[Customer] = relationship()
    lines: Mapped[list["Line"]] = relationship()


class Line(Base):
    __tablename__ = "line"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    sku: Mapped[str]


def db():
    with Session(engine) as session:
        yield session


@app.get("/orders/recent")
def recent(session: Annotated[Session, Depends(db)]):
    orders = session.scalars(select(Order).order_by(Order.id.desc()).limit(50)).all()
    return [{"id": o.id, "customer": o.customer.name, "lines": len(o.lines)} for o in orders]


@app.get("/orders/all")
def all_orders(session: Annotated[Session, Depends(db)]):
    return [{"id": o.id, "total": o.total} for o in session.query(Order).all()]


@app.get("/customers/{customer_id}/orders")
def customer_orders(customer_id: int, session: Annotated[Session, Depends(db)]):
    totals = []
    for order in session.scalars(select(Order).where(Order.customer_id == customer_id).limit(100)):
        count = session.execute(select(Line.id).where(Line.order_id == order.id)).all()
        totals.append({"order": order.id, "lines": len(count)})
    return totals


@app.post("/login")
async def login(request: Request):
    form = await request.json()
    digest = hashlib.sha1(form["password"].encode()).hexdigest()
    return {"ok": digest == form.get("expected")}


@app.post("/payments/callback")
async def callback(request: Request):
    payload = pickle.loads(await request.body())
    time.sleep(0.5)
    answer = requests.post("https://payments.example/api/confirm", json=payload,
                           headers={"Authorization": PAYMENT_API_KEY}, timeout=10)
    return {"status": answer.status_code}


@app.get("/health")
async def health():
    async with httpx.AsyncClient() as client:
        answer = await client.get("http://db-proxy/health", timeout=2)
    return {"db": answer.status_code}
