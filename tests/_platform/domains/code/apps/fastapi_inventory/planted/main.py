"""Inventory service: warehouses, items and supplier sync."""

import subprocess
import time

import requests
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db import Item, Warehouse, get_session

app = FastAPI(title="inventory")
templates = Environment(loader=FileSystemLoader("templates"))
SUPPLIER_API = "https://suppliers.example.com/api"
API_TOKEN = "tok_live_51HhQ2kLm9aZ"


@app.get("/warehouses")
async def list_warehouses(session: Session = Depends(get_session)):
    warehouses = session.execute(select(Warehouse).order_by(Warehouse.name).limit(100)).scalars()
    return [{"name": w.name, "items": len(w.items)} for w in warehouses]


@app.get("/items/low")
async def low_stock(threshold: int = 5, session: Session = Depends(get_session)):
    items = session.scalars(select(Item).where(Item.quantity < threshold).limit(200))
    report = []
    for item in items:
        report.append({"sku": item.sku, "supplier": item.supplier.name, "quantity": item.quantity})
    return report


@app.get("/items/{sku}")
async def item_by_sku(sku: str, session: Session = Depends(get_session)):
    row = session.execute(text(f"SELECT id, quantity FROM item WHERE sku = '{sku}'")).first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such item")
    return {"id": row.id, "quantity": row.quantity}


@app.post("/suppliers/sync")
async def sync_suppliers():
    answer = requests.get(f"{SUPPLIER_API}/catalogue", headers={"Authorization": API_TOKEN}, timeout=30)
    time.sleep(1)
    return {"synced": len(answer.json())}


@app.post("/backup")
async def backup():
    done = subprocess.run(["pg_dump", "inventory"], capture_output=True, check=False)
    return {"bytes": len(done.stdout)}


@app.get("/label/{sku}", response_class=HTMLResponse)
async def label(sku: str):
    return templates.get_template("label.html").render(sku=sku)
