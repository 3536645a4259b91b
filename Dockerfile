# syntax=docker/dockerfile:1.7
#
# CloudScale Commerce: one image for the single-container (SQLite) and fleet (PostgreSQL) deploys.
#
#   docker build -t cloudscale .
#   docker run -p 8080:8080 -v cloudscale-data:/app/data -e PUBLIC_ORIGIN=http://localhost:8080 cloudscale
#
# The builder runs the README's own build (`make build`: the pinned toolchain and tools, then
# `cargo leptos build --release --precompress --split`), so there is no second recipe to drift.

ARG RUST_VERSION=1.95.0
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-slim-${DEBIAN_RELEASE} AS builder
# Node.js/npm install wasm-opt (npm binaryen); perl and make build the tools' vendored OpenSSL, and
# make builds the server's jemalloc allocator (tikv-jemalloc-sys).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends make perl pkg-config nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# The tools layer (cargo-leptos, wasm-bindgen-cli at the Cargo.lock version, wasm-opt) changes
# only with the Makefile, the toolchain file or the lockfile, so code changes reuse it.
COPY rust-toolchain.toml Makefile Cargo.lock ./
RUN make rust-tools

COPY . .
# The registry and target folders are cache mounts: dependencies compile once and are reused by
# later builds. The stamp goes first, so a cached target never stands in for a new build; the
# results are copied out, since cache mounts are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    rm -f target/.release-build-stamp \
 && make build \
 && mkdir -p /out \
 && cp target/release/server target/release/hash.txt /out/ \
 && cp -r target/site /out/site

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
# CA certificates for SMTP over TLS; nothing else: no shell tools are needed at run time.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 cloudscale \
 && useradd --system --uid 10001 --gid cloudscale --home-dir /app --shell /usr/sbin/nologin cloudscale \
 && mkdir -p /app/data \
 && chown cloudscale:cloudscale /app/data
WORKDIR /app
# hash.txt beside the binary names the site's content-hashed JS, wasm and CSS.
COPY --from=builder /out/server /out/hash.txt /app/
COPY --from=builder /out/site /app/site

# Production defaults. DATABASE_URL=postgres://... replaces the SQLite file for a fleet; SQLite
# serves one replica only (a second server on the same file refuses to start).
ENV APP_ENV=prod \
    LEPTOS_ENV=PROD \
    LEPTOS_SITE_ADDR=0.0.0.0:8080 \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_OUTPUT_NAME=cloudscale \
    DATABASE_URL=sqlite:///app/data/cloudscale.db?mode=rwc \
    MAIL_DIR=/app/data/mail \
    UPLOAD_DIR=/app/data/uploads \
    RUST_LOG=info,tower_http=info,sqlx=warn
VOLUME ["/app/data"]
USER 10001:10001
EXPOSE 8080
# The server probes itself: the image carries no curl or wget.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["/app/server", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/server"]
CMD ["serve"]
