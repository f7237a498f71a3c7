from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from web import views
from web.feeds import DataChangesFeed
from web.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    re_path(r"^projects/(?P<slug>[-\w]+)/cite\.(?P<style>bib|ris)$", views.project_citation, name="project-citation"),
    path("areas/", views.area_list, name="area-list"),
    path("areas/<slug:slug>/", views.collection_detail, {"kind": "area"}, name="area-detail"),
    path("areas/<slug:slug>/briefing/", views.area_briefing, name="area-briefing"),
    path("themes/", views.vocabulary_list, {"kind": "theme"}, name="theme-list"),
    path("themes/<slug:slug>/", views.collection_detail, {"kind": "theme"}, name="theme-detail"),
    path("phases/", views.vocabulary_list, {"kind": "phase"}, name="phase-list"),
    path("phases/<slug:slug>/", views.collection_detail, {"kind": "phase"}, name="phase-detail"),
    path("evidence-ratings/", views.evidence_rubric, name="evidence-rubric"),
    path("evidence-ratings/gap-map/", views.evidence_gap_map, name="evidence-gap-map"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<str:key>/", views.source_detail, name="source-detail"),
    path("compare/", views.compare, name="compare"),
    path("compare/data/<str:frame>.csv", views.compare_data, name="compare-data"),
    path("compare/data/<str:frame>.xlsx", views.compare_data, {"ext": "xlsx"}, name="compare-data-xlsx"),
    path("about/", views.about, {"page": "about"}, name="about"),
    path("licence/", views.about, {"page": "licence"}, name="licence"),
    path("accessibility/", views.about, {"page": "accessibility"}, name="accessibility"),
    path("cookies/", views.about, {"page": "cookies"}, name="cookies"),
    path("left-out/", views.about, {"page": "left_out"}, name="left-out"),
    path("favicon.ico", views.favicon),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("data/", views.downloads, name="downloads"),
    path("data/changes/", views.data_changes, name="data-changes"),
    path("data/changes/feed/", DataChangesFeed(), name="data-changes-feed"),
    path("data/<str:name>", views.data_file, name="data-file"),
    path("data/<str:version>/<str:name>", views.data_file, name="past-data-file"),
    path("explore/", views.explore, name="explore"),
    path("explore/data/<str:frame>.csv", views.explore_data, name="explore-data"),
    path("explore/data/<str:frame>.xlsx", views.explore_data, {"ext": "xlsx"}, name="explore-data-xlsx"),
]
