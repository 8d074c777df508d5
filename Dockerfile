# One image for every function; Knative picks the target with FUNCTION_SOURCE / FUNCTION_TARGET.
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode
COPY events ./events
COPY functions ./functions
COPY kustomize/base ./kustomize/base
COPY runbooks ./runbooks
RUN uv sync --frozen --no-dev --compile-bytecode

FROM python:3.11-slim
# git: the code agent mirrors service repositories and checks its patches with `git apply --check`
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --create-home sreo
WORKDIR /app
COPY --from=build --chown=sreo:sreo /app /app
ENV PATH="/app/.venv/bin:$PATH" PYTHONPATH=/app PYTHONUNBUFFERED=1 SREO_HOME=/tmp/sreo PORT=8080
USER 10001
EXPOSE 8080
CMD ["sh", "-c", "exec functions-framework --source=\"$FUNCTION_SOURCE\" --target=\"$FUNCTION_TARGET\" --host=0.0.0.0 --port=\"$PORT\""]
