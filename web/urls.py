from django.urls import path

from web import analysis_views, views

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
    path("evidence-ratings/", views.evidence_rubric, name="evidence-rubric"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<str:key>/", views.source_detail, name="source-detail"),
    path("compare/", analysis_views.compare, name="compare"),
    path("compare/data/<str:frame>.csv", analysis_views.compare_data, name="compare-data"),
    path("explore/", analysis_views.explore, name="explore"),
    path("explore/data/<str:frame>.csv", analysis_views.explore_data, name="explore-data"),
]
