from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import adoptions, contributions, cosharing, partnership, views
from .benefits import BenefitViewSet

app_name = "api"

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("clinics", views.ClinicViewSet, basename="clinic")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("ideas", views.IdeaViewSet, basename="idea")
router.register("phases", partnership.PhaseViewSet, basename="phase")
router.register("instalments", partnership.InstalmentViewSet, basename="instalment")
router.register("cost-sharing", cosharing.SharingResultViewSet, basename="cost-sharing")
router.register("innovation-time", views.InnovationTimeViewSet, basename="innovation-time")
router.register("contributions", contributions.ContributionViewSet, basename="contribution")
router.register("benefits", BenefitViewSet, basename="benefit")
router.register("adoptions", adoptions.AdoptionViewSet, basename="adoption")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", include(router.urls)),
]
