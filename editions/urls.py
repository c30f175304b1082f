from django.urls import path

from . import views

app_name = "editions"

urlpatterns = [
    path("", views.EditionsView.as_view(), name="index"),
    path("build/<uuid:book_key>/<str:language_code>/<str:format_name>/", views.build_now, name="build"),
]
