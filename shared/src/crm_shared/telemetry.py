"""OpenTelemetry: traces for HTTP, SQL and Kafka (context in event headers), JSON logs with ids."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF


def setup_tracing(service_name: str) -> None:
    """Install a tracer provider once per process; export over OTLP when an endpoint is set. Without one no
    span is recorded (a recorded span would go nowhere, at the cost of every request and statement); spans
    still carry the trace's ids, into the logs, the events and the calls to other services."""
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    sampler = None if recording() else ALWAYS_OFF
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}), sampler=sampler)
    if exporting():
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


def exporting() -> bool:
    return any(os.environ.get(f"OTEL_EXPORTER_OTLP{s}_ENDPOINT") for s in ("", "_TRACES"))


def recording() -> bool:
    """Whether spans are recorded: only when exported, or when a sampler is chosen for them."""
    return exporting() or bool(os.environ.get("OTEL_TRACES_SAMPLER"))


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def context_from_headers(headers: Iterable[tuple[str, bytes]] | None) -> otel_context.Context:
    """The trace context carried in Kafka message headers."""
    carrier = {k: v.decode(errors="replace") for k, v in headers or () if k in ("traceparent", "tracestate")}
    return propagate.extract(carrier)


def current_trace_id() -> str | None:
    span = trace.get_current_span().get_span_context()
    return format(span.trace_id, "032x") if span.is_valid else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the trace and span ids of the current span."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

    def formatException(self, ei: Any) -> str:
        """The traceback without the exception's message, which may quote values (a row, a token)."""
        from crm_shared.events.faults import scrubbed_traceback  # crm_shared.events imports this module

        return scrubbed_traceback(ei[1]) if ei[1] is not None else ""


class WithoutQueryString(logging.Filter):
    """Access logs name the path only: query strings may carry tokens (reset links, signed URLs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], record.args[2].split("?", 1)[0], *record.args[3:])
        return True


def setup_logging(level: str | None = None) -> None:
    """JSON lines on stderr for the root logger, once per process; other handlers (pytest's) stay."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    logging.getLogger("uvicorn.access").addFilter(WithoutQueryString())
    root.setLevel(level or os.environ.get("CRM_LOG_LEVEL", "INFO"))
