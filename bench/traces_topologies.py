"""Service topologies for the traces benchmark: what each service does per request and whom it calls.

A traced service answers with a server span and calls others through client spans. A dependency that is not
traced (a database, a cache, an external API, a message broker) appears only as its callers' client or producer
spans, with the attributes OpenTelemetry instrumentation writes for it. A dependency's `name` is the component
name the traces README documents for such a callee (`<db.system>/<db.name or host>`, `external/<host>`, the
first label of a cluster host name); the benchmark scores faults on a dependency under that name.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Call:
    to: str  # "service:operation" for a traced service, else a dependency's key
    p: float = 1.0  # share of requests that make this call
    parallel: bool = False  # starts together with the call before it
    critical: bool = True  # its failure fails the caller's request
    timeout_ms: float | None = None  # the caller gives up after this long
    retries: int = 0  # attempts after a failed one
    repeat: int = 1  # sequential calls of the same kind in one request


@dataclass(frozen=True)
class Operation:
    self_ms: float  # median of the service's own work per request
    calls: tuple[Call, ...] = ()


@dataclass(frozen=True)
class Dependency:
    name: str
    span: str  # the caller's span name
    latency_ms: float  # median
    kind: str = "client"  # "producer" for a message broker
    attributes: dict[str, object] = field(default_factory=dict)
    consumer: str | None = None  # "service:operation" that later consumes what a producer publishes


@dataclass(frozen=True)
class Topology:
    name: str
    root: str  # the service the users' requests reach (the alert names it)
    entries: tuple[tuple[str, float], ...]  # root operations and their share of requests
    services: dict[str, dict[str, Operation]]
    dependencies: dict[str, Dependency]
    rate: float  # sampled traces per second
    untraced_parent: float = 0.0  # share of requests whose parent (an ingress) exports no span

    def operation(self, target: str) -> tuple[str, str, Operation]:
        service, _, op = target.partition(":")
        return service, op, self.services[service][op]


BOUTIQUE = Topology(
    name="boutique", root="frontend", rate=0.45, untraced_parent=0.3,
    entries=(("frontend:GET /", 0.35), ("frontend:GET /product", 0.35), ("frontend:POST /cart", 0.15),
             ("frontend:POST /cart/checkout", 0.15)),
    services={
        "frontend": {
            "GET /": Operation(6, (Call("currencyservice:GetSupportedCurrencies"),
                                   Call("productcatalogservice:ListProducts"),
                                   Call("cartservice:GetCart", parallel=True),
                                   Call("currencyservice:Convert", repeat=3),
                                   Call("adservice:GetAds", critical=False, timeout_ms=250))),
            "GET /product": Operation(5, (Call("productcatalogservice:GetProduct"),
                                          Call("currencyservice:Convert"),
                                          Call("cartservice:GetCart", parallel=True),
                                          Call("recommendationservice:ListRecommendations", critical=False,
                                               timeout_ms=800),
                                          Call("adservice:GetAds", critical=False, parallel=True, timeout_ms=250))),
            "POST /cart": Operation(4, (Call("productcatalogservice:GetProduct"), Call("cartservice:AddItem"))),
            "POST /cart/checkout": Operation(7, (Call("checkoutservice:PlaceOrder", timeout_ms=5000),)),
        },
        "productcatalogservice": {"ListProducts": Operation(9), "GetProduct": Operation(3)},
        "currencyservice": {"GetSupportedCurrencies": Operation(2),
                            "Convert": Operation(3)},
        "cartservice": {"GetCart": Operation(2, (Call("redis-cart"),)),
                        "AddItem": Operation(3, (Call("redis-cart"), Call("redis-cart"))),
                        "EmptyCart": Operation(2, (Call("redis-cart"),))},
        "recommendationservice": {"ListRecommendations": Operation(8, (
            Call("productcatalogservice:ListProducts"),))},
        "adservice": {"GetAds": Operation(4)},
        "checkoutservice": {"PlaceOrder": Operation(12, (
            Call("cartservice:GetCart"), Call("productcatalogservice:GetProduct", repeat=2),
            Call("currencyservice:Convert", repeat=2),
            Call("shippingservice:GetQuote", timeout_ms=1000, retries=1),
            Call("paymentservice:Charge", timeout_ms=2000),
            Call("shippingservice:ShipOrder", timeout_ms=1000, retries=1),
            Call("cartservice:EmptyCart"),
            Call("emailservice:SendOrderConfirmation", critical=False, timeout_ms=1000)))},
        "shippingservice": {"GetQuote": Operation(3), "ShipOrder": Operation(4)},
        "paymentservice": {"Charge": Operation(6)},
        "emailservice": {"SendOrderConfirmation": Operation(15)},
    },
    dependencies={"redis-cart": Dependency(
        "redis/redis-cart", "HGET", 0.8,
        attributes={"db.system": "redis", "server.address": "redis-cart", "server.port": 6379})},
)


def _pg(db: str, host: str, statement: str, latency: float) -> Dependency:
    return Dependency(f"postgres/{db}", statement.split()[0] + " " + db, latency,
                      attributes={"db.system": "postgresql", "db.name": db, "server.address": host,
                                  "server.port": 5432, "db.statement": statement})


CHAIN = Topology(
    name="chain", root="edge", rate=0.3,
    entries=(("edge:POST /orders", 0.6), ("edge:GET /orders/{id}", 0.4)),
    services={
        "edge": {"POST /orders": Operation(3, (Call("api:CreateOrder", timeout_ms=3000),)),
                 "GET /orders/{id}": Operation(2, (Call("api:GetOrder", timeout_ms=3000),))},
        "api": {"CreateOrder": Operation(5, (Call("orders:Create", timeout_ms=2500),)),
                "GetOrder": Operation(3, (Call("orders:Get", timeout_ms=2500),))},
        "orders": {"Create": Operation(6, (Call("inventory:Reserve", timeout_ms=1500, retries=2),
                                           Call("ledger-db"))),
                   "Get": Operation(4, (Call("ledger-db"),))},
        "inventory": {"Reserve": Operation(5, (Call("pricing:Quote", timeout_ms=800, retries=2),))},
        "pricing": {"Quote": Operation(7, (Call("ledger-db"),))},
    },
    dependencies={"ledger-db": _pg("ledger", "ledger-db.shop.svc.cluster.local",
                                   "SELECT * FROM entries WHERE order_id = $1", 2.5)},
)


FANOUT = Topology(
    name="fanout", root="api-gateway", rate=0.35, untraced_parent=0.5,
    entries=(("api-gateway:GET /dashboard", 0.7), ("api-gateway:GET /search", 0.3)),
    services={
        "api-gateway": {
            "GET /dashboard": Operation(4, (Call("users:Profile", timeout_ms=2000, retries=1),
                                            Call("orders:Recent", parallel=True, timeout_ms=2000),
                                            Call("billing:Balance", parallel=True, timeout_ms=2000),
                                            Call("recommendations:ForUser", parallel=True, critical=False,
                                                 timeout_ms=600))),
            "GET /search": Operation(3, (Call("search:Query", timeout_ms=2000, retries=1),
                                         Call("users:Profile", timeout_ms=2000, retries=1)))},
        "users": {"Profile": Operation(3, (Call("shop-db-users"),))},
        "orders": {"Recent": Operation(4, (Call("shop-db-orders"), Call("shop-db-orders")))},
        "billing": {"Balance": Operation(5, (Call("shop-db-billing"),))},
        "recommendations": {"ForUser": Operation(12, (Call("search:Query"),))},
        "search": {"Query": Operation(6, (Call("search-es"),))},
    },
    dependencies={
        "shop-db-users": _pg("shop", "shop-db.prod.svc.cluster.local", "SELECT * FROM users WHERE id = $1", 1.5),
        "shop-db-orders": _pg("shop", "shop-db.prod.svc.cluster.local",
                              "SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20", 3.0),
        "shop-db-billing": _pg("shop", "shop-db.prod.svc.cluster.local",
                               "SELECT sum(amount) FROM invoices WHERE user_id = $1", 4.0),
        "search-es": Dependency("elasticsearch/search-es", "search products", 9.0,
                                attributes={"db.system": "elasticsearch", "server.address": "search-es",
                                            "http.request.method": "POST"}),
    },
)


QUEUE = Topology(
    name="queue", root="web", rate=0.3,
    entries=(("web:POST /checkout", 0.4), ("web:GET /catalog", 0.6)),
    services={
        "web": {"POST /checkout": Operation(4, (Call("checkout:Submit", timeout_ms=10000),)),
                "GET /catalog": Operation(3, (Call("catalog:List", timeout_ms=2000, retries=2),))},
        "catalog": {"List": Operation(6, (Call("catalog-cache"), Call("catalog-cache", p=0.3)))},
        "checkout": {"Submit": Operation(8, (Call("orders-db"), Call("payments-api", timeout_ms=4000, retries=1),
                                             Call("orders-db"), Call("order-events")))},
        "fulfillment": {"OnOrderPlaced": Operation(10, (Call("inventory:Allocate"),))},
        "inventory": {"Allocate": Operation(4, (Call("warehouse-db"),))},
    },
    dependencies={
        "catalog-cache": Dependency("redis/catalog-cache", "GET", 0.7,
                                    attributes={"db.system": "redis", "server.address": "catalog-cache"}),
        "orders-db": _pg("orders", "orders-db.shop.svc.cluster.local",
                         "INSERT INTO orders (id, total) VALUES ($1, $2)", 2.0),
        "payments-api": Dependency("external/api.payments-provider.com", "POST", 180.0,
                                   attributes={"http.request.method": "POST",
                                               "server.address": "api.payments-provider.com",
                                               "url.full": "https://api.payments-provider.com/v1/charges"}),
        "order-events": Dependency("kafka", "order-events publish", 3.0, kind="producer",
                                   attributes={"messaging.system": "kafka",
                                               "messaging.destination.name": "order-events",
                                               "server.address": "kafka.shop.svc.cluster.local"},
                                   consumer="fulfillment:OnOrderPlaced"),
        "warehouse-db": _pg("warehouse", "warehouse-db.shop.svc.cluster.local",
                            "UPDATE stock SET reserved = reserved + 1 WHERE sku = $1", 2.0),
    },
)

TOPOLOGIES = {t.name: t for t in (BOUTIQUE, CHAIN, FANOUT, QUEUE)}
