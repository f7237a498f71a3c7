from django.urls import path

from projects import views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("areas/", views.area_list, name="area-list"),
    path("areas/<slug:slug>/", views.area_detail, name="area-detail"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme-detail"),
    path("phases/", views.phase_list, name="phase-list"),
    path("phases/<slug:slug>/", views.phase_detail, name="phase-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<str:key>/", views.source_detail, name="source-detail"),
]
