# The wizard in production: gunicorn on port 8000, to be reached through nginx (deploy/nginx.conf,
# deploy/compose.yaml), never published to other machines directly: slow clients would hold its
# workers (README, Docker). SQLite in /app/instance unless DATABASE_URL names
# PostgreSQL; rate limits in memory unless RATELIMIT_STORAGE_URI names Redis (see deploy/compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    BIND=0.0.0.0:8000 \
    FLASK_APP=wsgi:app

# Pango and fonts for the PDF report (WeasyPrint). Debian's security updates replace
# old package versions in the archive, so pinning them would break future builds.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN pybabel compile --use-fuzzy -q -d app/translations \
    && useradd --create-home --uid 10001 wizard \
    && mkdir -p /app/instance \
    && chown wizard:wizard /app/instance

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["curl", "--fail", "--silent", "--output", "/dev/null", "http://127.0.0.1:8000/healthz"]

CMD ["sh", "-c", "flask db upgrade && exec gunicorn --config gunicorn.conf.py wsgi:app"]
