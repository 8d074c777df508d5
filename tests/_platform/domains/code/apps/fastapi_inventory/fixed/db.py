from sqlalchemy import ForeignKey, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

engine = create_engine("sqlite:///inventory.db")


class Base(DeclarativeBase):
    pass


class Warehouse(Base):
    __tablename__ = "warehouse"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    items: Mapped[list["Item"]] = relationship(back_populates="warehouse")


class Supplier(Base):
    __tablename__ = "supplier"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class Item(Base):
    __tablename__ = "item"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    quantity: Mapped[int]
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouse.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id"))
    warehouse: Mapped["Warehouse"] = relationship(back_populates="items")
    supplier: Mapped["Supplier"] = relationship()


def get_session():
    with Session(engine) as session:
        yield session
