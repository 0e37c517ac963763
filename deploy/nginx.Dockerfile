# nginx in front of the wizard: Debian's nginx with deploy/nginx.conf and the static files.
# Build from the repository root: docker build -f deploy/nginx.Dockerfile -t kb3169958-nginx .
# By default gunicorn is reached on 127.0.0.1:8000 (the same host or network namespace);
# UPSTREAM names other app servers, as deploy/compose.yaml does for its replicas
# (--build-arg UPSTREAM=app:8000: nginx sends to every address the name resolves to), and PDF_UPSTREAM
# the PDF downloads' gunicorn (default 127.0.0.1:8001; compose: pdf:8000).
FROM debian:bookworm-slim
ARG UPSTREAM=127.0.0.1:8000
ARG PDF_UPSTREAM=127.0.0.1:8001

# Debian's security updates replace old package versions in the archive: not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY static/ static/
COPY deploy/nginx.conf deploy/nginx.conf
# Another host: connect from this container's own address (proxy_bind 127.0.0.2 is for the same host).
RUN sed -i -e "s/^\( *server \)127\.0\.0\.1:8000\([; ]\)/\1${UPSTREAM}\2/" \
           -e "s/^\( *server \)127\.0\.0\.1:8001;/\1${PDF_UPSTREAM};/" deploy/nginx.conf \
    && if [ "${UPSTREAM}" != "127.0.0.1:8000" ]; then sed -i "/proxy_bind 127.0.0.2;/d" deploy/nginx.conf; fi

EXPOSE 8080
CMD ["nginx", "-p", "/app/", "-c", "deploy/nginx.conf", "-g", "daemon off;"]
