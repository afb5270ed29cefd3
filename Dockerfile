FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key to import settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build-only python manage.py collectstatic --noinput
# Uploaded images live in /app/media (the compose file's media volume), written by the app's user.
RUN useradd --create-home chapterwise && mkdir -p /app/media && chown chapterwise /app/media
USER chapterwise
EXPOSE 8000
CMD ["gunicorn", "wiki.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
