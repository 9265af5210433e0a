# syntax=docker/dockerfile:1
# The API binary and the built SPA in one small image.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src
COPY openapi ./openapi
COPY frontend/package.json frontend/package-lock.json ./frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN cd frontend && npm run build

FROM rust:1.95-bookworm AS api
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY crates ./crates
COPY migrations ./migrations
RUN cargo build --release -p users-api

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app users-api
WORKDIR /app
COPY --from=api /src/target/release/users-api /usr/local/bin/users-api
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN mkdir -p /app/data && chown users-api /app/data
USER users-api
# Production unless told otherwise: every secret must be given, and dev
# sign-in cannot be turned on (nor could it on 0.0.0.0, whatever APP_ENV says).
ENV APP_ENV=production BIND=0.0.0.0:8080 STATIC_DIR=/app/frontend/dist DATA_DIR=/app/data LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["users-api"]
CMD ["serve"]
