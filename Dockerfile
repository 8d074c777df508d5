# One image for every function: FUNCTION_TARGET picks one (its source is derived from kustomize); without it the
# container runs `sreo serve`. A deployed function needs SREO_DATABASE_URL (see kustomize/overlays/README.md).
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode
COPY sreo_events ./sreo_events
COPY functions ./functions
COPY kustomize ./kustomize
COPY runbooks ./runbooks
RUN uv sync --frozen --no-dev --compile-bytecode

FROM python:3.11-slim
# git: the code agent mirrors service repositories and checks its patches with `git apply --check`
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --create-home sreo && mkdir -p /var/lib/sreo && chown sreo:sreo /var/lib/sreo
WORKDIR /app
COPY --from=build --chown=sreo:sreo /app /app
ENV PATH="/app/.venv/bin:$PATH" PYTHONPATH=/app PYTHONUNBUFFERED=1 SREO_HOME=/var/lib/sreo PORT=8080
USER 10001
VOLUME /var/lib/sreo
EXPOSE 8080
ENTRYPOINT ["python", "-m", "functions._local.entrypoint"]
