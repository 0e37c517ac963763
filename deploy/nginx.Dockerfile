# nginx in front of the wizard: Debian's nginx with deploy/nginx.conf and the static files.
# Build from the repository root: docker build -f deploy/nginx.Dockerfile -t kb3169958-nginx .
# It shares the wizard container's network (compose: network_mode "service:web"), so
# gunicorn is reached on 127.0.0.1:8000 and trusts it through FORWARDED_ALLOW_IPS.
FROM debian:bookworm-slim

# Debian's security updates replace old package versions in the archive: not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY static/ static/
COPY deploy/nginx.conf deploy/nginx.conf

EXPOSE 8080
CMD ["nginx", "-p", "/app/", "-c", "deploy/nginx.conf", "-g", "daemon off;"]
