import os

from django.core.wsgi import get_wsgi_application

from ketenportaal.runtime import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")
application = get_wsgi_application()
settle(views=True)  # what every request uses, out of the garbage collector's walks
