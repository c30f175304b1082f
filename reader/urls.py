from django.urls import path

from . import views

app_name = "reader"

urlpatterns = [
    path("", views.language_choice, name="languages"),
    path("preview/", views.preview, name="preview"),
    path("<str:lang>/", views.home, name="home"),
    path("<str:lang>/chapters/<str:key>/", views.chapter, name="chapter"),
    path("<str:lang>/contributors/", views.contributors, name="contributors"),
    path("<str:lang>/contributors/<str:key>/", views.contributor, name="contributor"),
    path("<str:lang>/themes/", views.themes, name="themes"),
    path("<str:lang>/themes/<str:key>/", views.theme, name="theme"),
    path("<str:lang>/cities/", views.cities, name="cities"),
    path("<str:lang>/cities/<str:key>/", views.city, name="city"),
    path("<str:lang>/sectors/", views.sectors, name="sectors"),
    path("<str:lang>/sectors/<str:key>/", views.sector, name="sector"),
    path("<str:lang>/search/", views.search, name="search"),
]

handler404 = "reader.views.not_found"
handler500 = "reader.views.server_error"
