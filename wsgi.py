"""Production entry point: gunicorn wsgi:app"""
from app import create_app
from app.web.proxy import behind_trusted_proxy

app = create_app()
app.wsgi_app = behind_trusted_proxy(app.wsgi_app)
