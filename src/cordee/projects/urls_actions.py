"""The review (ranking beside the envelope, scoring, the committee's decision) and the funded actions."""

from django.urls import path

from cordee.projects.views import actions, public, review

urlpatterns = [
    path("appels-a-projets/<slug:slug>/examen/", review.call_review, name="call_review"),
    path("candidatures/<int:pk>/notation/", review.application_score, name="application_score"),
    path("candidatures/<int:pk>/decision/", review.application_decision, name="application_decision"),
    path("candidatures/<int:pk>/decision/vote/", review.application_put_to_vote, name="application_put_to_vote"),
    path("actions/", public.public_actions, name="public_actions"),
    path("actions/suivi/", actions.action_list, name="actions"),
    path("actions/fonds/", actions.fund, name="fund"),
    path("actions/<int:pk>/", actions.action_detail, name="action"),
    path("actions/<int:pk>/convention.pdf", actions.action_agreement, name="action_agreement"),
    path("actions/<int:pk>/signature/", actions.action_sign, name="action_sign"),
    path("actions/<int:pk>/jalons/", actions.action_milestones, name="action_milestones"),
    path(
        "actions/<int:pk>/jalons/<int:milestone_pk>/avancement/", actions.milestone_progress, name="milestone_progress"
    ),
    path("actions/<int:pk>/versements/", actions.action_disburse, name="action_disburse"),
    path(
        "actions/<int:pk>/versements/<int:disbursement_pk>/correction/",
        actions.disbursement_reverse,
        name="disbursement_reverse",
    ),
    path("actions/<int:pk>/rapports/", actions.report_upload, name="report_upload"),
    path("actions/<int:pk>/rapports/<int:report_pk>/", actions.report_download, name="report_download"),
    path("actions/<int:pk>/indicateurs/<int:indicator_pk>/", actions.indicator_reach, name="indicator_reach"),
    path("actions/<int:pk>/cloture/", actions.action_close, name="action_close"),
    path("actions/<int:pk>/publication/", actions.action_public, name="action_public"),
]
