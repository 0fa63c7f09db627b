"""Board packs: a meeting's agenda, decisions to take, signals, RAG per theme and key figures as
one document (HTML and a tagged PDF), made by Celery and stored with its hash (issue 13)."""
