from django.urls import path

from . import views

app_name = "localization"

urlpatterns = [
    path("", views.GridView.as_view(), name="grid"),
    path("<str:language_code>/", views.QueueView.as_view(), name="queue"),
    path("<str:language_code>/action/", views.queue_action, name="action"),
    path("<str:language_code>/po/download/", views.po_download, name="po_download"),
    path("<str:language_code>/po/upload/", views.po_upload, name="po_upload"),
]
