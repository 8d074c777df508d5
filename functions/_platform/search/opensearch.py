"""Search on an OpenSearch cluster: index templates with explicit mappings, bulk writes, BM25 queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from typing import Any

from .contract import Operator, check_filter_fields, normalize_document, query_terms, time_bounds_ms
from .models import Bucket, FieldType, Filters, Hit, IndexSchema, IntRange, TermCount, TimeRange, fill_buckets
from .schemas import SCHEMAS, schema_for

OS_TIME_FIELD = "@timestamp"
ANALYZER = "sreo_text"

# The same analysis as the SQLite side: split on anything not a letter or digit, lower-case, Porter stem.
ANALYSIS = {
    "char_filter": {
        "sreo_separators": {"type": "pattern_replace", "pattern": "[^\\p{L}\\p{N}]+", "replacement": " "}
    },
    "analyzer": {
        ANALYZER: {
            "type": "custom",
            "char_filter": ["sreo_separators"],
            "tokenizer": "standard",
            "filter": ["lowercase", "porter_stem"],
        }
    },
}

_MAPPED = {
    FieldType.DATE: {"type": "date", "format": "strict_date_optional_time||epoch_millis"},
    FieldType.KEYWORD: {"type": "keyword"},
    FieldType.INTEGER: {"type": "integer"},
    FieldType.TEXT: {"type": "text", "analyzer": ANALYZER},
    FieldType.VECTOR: {"type": "float", "index": False},
}


def _os_field(schema: IndexSchema, name: str) -> str:
    return OS_TIME_FIELD if name == schema.time_field else name


def index_template(schema: IndexSchema) -> dict[str, Any]:
    properties = {_os_field(schema, f.name): _MAPPED[f.type] for f in schema.fields}
    return {
        "index_patterns": [schema.name, f"{schema.name}-*"],
        "template": {
            "settings": {"number_of_shards": 1, "analysis": ANALYSIS},
            "mappings": {"dynamic": False, "properties": properties},
        },
    }


class OpenSearchBackend:
    name = "opensearch"

    def __init__(self, url: str, client: Any | None = None) -> None:
        if client is None:
            client = _opensearchpy().OpenSearch(hosts=[url], timeout=30)
        self.url = url
        self._client = client
        self._templates_done = False
        self._ready: set[str] = set()

    def _ensure_templates(self) -> None:
        if self._templates_done:
            return
        for family, schema in SCHEMAS.items():
            self._client.indices.put_index_template(name=family, body=index_template(schema))
        self._templates_done = True

    def ensure_index(self, index: str) -> None:
        if index in self._ready:
            return
        schema_for(index)
        self._ensure_templates()
        if not self._client.indices.exists(index=index):
            try:
                self._client.indices.create(index=index)
            except _opensearchpy().exceptions.RequestError as exc:
                if "already_exists" not in str(exc):
                    raise
        self._ready.add(index)

    def delete_index(self, index: str) -> None:
        self._client.indices.delete(index=index, ignore_unavailable=True)
        self._ready.discard(index)

    def index_documents(self, index: str, docs: Iterable[Mapping[str, Any]]) -> int:
        helpers = _opensearchpy().helpers
        self.ensure_index(index)
        schema = schema_for(index)

        def actions() -> Iterator[dict[str, Any]]:
            for doc in docs:
                norm = normalize_document(schema, doc)
                yield {"_index": index, "_id": norm.id, "_source": _to_os(schema, norm.source)}

        written, _ = helpers.bulk(self._client, actions(), refresh="wait_for", chunk_size=1000)
        return int(written)

    def delete_documents(self, index: str, filters: Filters) -> int:
        self.ensure_index(index)
        body = {"query": self._query(schema_for(index), None, "or", filters, None)}
        result = self._client.delete_by_query(index=index, body=body, refresh=True)
        return int(result.get("deleted", 0))

    def search(
        self,
        index: str,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        k: int = 10,
        operator: Operator = "or",
    ) -> list[Hit]:
        self.ensure_index(index)
        schema = schema_for(index)
        body: dict[str, Any] = {"query": self._query(schema, query, operator, filters, time_range), "size": k}
        if not query_terms(query) and schema.time_field:
            body["sort"] = [{OS_TIME_FIELD: "desc"}]
        hits = self._client.search(index=index, body=body)["hits"]["hits"]
        return [
            Hit(id=h["_id"], score=float(h.get("_score") or 0.0), source=_from_os(schema, h["_source"]))
            for h in hits
        ]

    def count(
        self,
        index: str,
        query: str | None = None,
        *,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        operator: Operator = "or",
    ) -> int:
        self.ensure_index(index)
        body = {"query": self._query(schema_for(index), query, operator, filters, time_range)}
        return int(self._client.count(index=index, body=body)["count"])

    def count_over_time(
        self,
        index: str,
        interval: timedelta,
        *,
        query: str | None = None,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        operator: Operator = "or",
    ) -> list[Bucket]:
        self.ensure_index(index)
        schema = schema_for(index)
        if not schema.time_field:
            raise ValueError(f"index {index!r} has no time field")
        step = int(interval.total_seconds() * 1000)
        if step <= 0:
            raise ValueError("interval must be positive")
        histogram = {"field": OS_TIME_FIELD, "fixed_interval": f"{step}ms", "min_doc_count": 1}
        body = {
            "size": 0,
            "query": self._query(schema, query, operator, filters, time_range),
            "aggs": {"over_time": {"date_histogram": histogram}},
        }
        buckets = self._client.search(index=index, body=body)["aggregations"]["over_time"]["buckets"]
        return fill_buckets({int(b["key"]): int(b["doc_count"]) for b in buckets}, interval, time_range)

    def terms(
        self,
        index: str,
        field: str,
        *,
        query: str | None = None,
        filters: Filters | None = None,
        time_range: TimeRange | None = None,
        size: int = 10,
        operator: Operator = "or",
    ) -> list[TermCount]:
        self.ensure_index(index)
        schema = schema_for(index)
        check_filter_fields(schema, {field: ""})
        order = [{"_count": "desc"}, {"_key": "asc"}]
        body = {
            "size": 0,
            "query": self._query(schema, query, operator, filters, time_range),
            "aggs": {"top": {"terms": {"field": field, "size": size, "order": order}}},
        }
        buckets = self._client.search(index=index, body=body)["aggregations"]["top"]["buckets"]
        return [TermCount(value=b["key"], count=int(b["doc_count"])) for b in buckets]

    def scan(self, index: str, *, filters: Filters | None = None) -> Iterator[Hit]:
        helpers = _opensearchpy().helpers
        self.ensure_index(index)
        schema = schema_for(index)
        body = {"query": self._query(schema, None, "or", filters, None)}
        for h in helpers.scan(self._client, index=index, query=body, size=500):
            yield Hit(id=h["_id"], score=0.0, source=_from_os(schema, h["_source"]))

    def close(self) -> None:
        self._client.close()

    def _query(
        self,
        schema: IndexSchema,
        query: str | None,
        operator: Operator,
        filters: Filters | None,
        time_range: TimeRange | None,
    ) -> dict[str, Any]:
        check_filter_fields(schema, filters)
        clauses: list[dict[str, Any]] = []
        for name, value in (filters or {}).items():
            if isinstance(value, IntRange):
                bounds = {op: v for op, v in (("gte", value.gte), ("lt", value.lt)) if v is not None}
                clauses.append({"range": {name: bounds}})
            elif isinstance(value, list):
                clauses.append({"terms": {name: value}})
            else:
                clauses.append({"term": {name: value}})
        start, end = time_bounds_ms(time_range)
        if start is not None or end is not None:
            bounds = {op: v for op, v in (("gte", start), ("lt", end)) if v is not None}
            clauses.append({"range": {OS_TIME_FIELD: {**bounds, "format": "epoch_millis"}}})
        bool_query: dict[str, Any] = {"filter": clauses}
        terms = query_terms(query)
        fields = [f"{f.name}^{f.boost}" for f in schema.text_fields]
        if terms and operator == "and":
            bool_query["must"] = [
                {"multi_match": {"query": t, "fields": fields, "type": "most_fields"}} for t in terms
            ]
        elif terms:
            bool_query["must"] = [
                {"multi_match": {"query": " ".join(terms), "fields": fields, "type": "most_fields"}}
            ]
        return {"bool": bool_query}


def _to_os(schema: IndexSchema, source: dict[str, Any]) -> dict[str, Any]:
    if schema.time_field and schema.time_field in source:
        source = dict(source)
        source[OS_TIME_FIELD] = source.pop(schema.time_field)
    return source


def _from_os(schema: IndexSchema, source: dict[str, Any]) -> dict[str, Any]:
    if schema.time_field and OS_TIME_FIELD in source:
        source = dict(source)
        source[schema.time_field] = source.pop(OS_TIME_FIELD)
    return source


def _opensearchpy():
    import opensearchpy

    return opensearchpy
