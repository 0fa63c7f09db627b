# The image for web, worker and beat (docker-compose.yml). Python 3.12: Django 6 needs it.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ketenportaal.settings

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir "uv==0.13.9" \
    && uv pip install --system --no-cache -r requirements.lock

COPY . .
# Static files and translations are built into the image; a throwaway key is enough for that.
RUN SECRET_KEY=build-only DEBUG=0 STATIC_MANIFEST=1 python manage.py collectstatic --noinput -v0 \
    && if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
         SECRET_KEY=build-only python manage.py compilemessages -v0; fi \
    && useradd --system --uid 1000 --home /app ketenportaal \
    && mkdir -p /data/media && chown ketenportaal /data/media

USER ketenportaal
EXPOSE 8000
CMD ["gunicorn", "ketenportaal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
