"""Routes of the supervision pages: the workspace, orders, proposals, exemptions, the ladder."""

from django.urls import path

from vanguard.supervision.orders import views, workspace

app_name = "orders"
urlpatterns = [
    path("", workspace.workspace, name="workspace"),
    path("orders/", views.order_list, name="list"),
    path("orders/new/", views.issue_order, name="issue"),
    path("orders/<int:pk>/", views.order_detail, name="detail"),
    path("orders/<int:pk>/sign/", views.sign_order, name="sign"),
    path("orders/<int:pk>/answer/", views.answer_order, name="answer"),
    path("orders/<int:pk>/close/", views.close_order, name="close"),
    path("orders/<int:pk>/return/", views.return_order, name="return"),
    path("orders/<int:pk>/files/<int:file_id>/", views.evidence_file, name="evidence"),
    path("proposals/", workspace.proposal_list, name="proposals"),
    path("proposals/<int:pk>/confirm/", workspace.confirm_proposal, name="confirm"),
    path("proposals/<int:pk>/dismiss/", workspace.dismiss_proposal, name="dismiss"),
    path("exemptions/", workspace.exemption_list, name="exemptions"),
    path("exemptions/<int:pk>/evidence/", workspace.exemption_evidence, name="exemption_evidence"),
    path("ladder/", workspace.ladder_rules, name="ladder"),
    path("ladder/run/", workspace.run_ladder_now, name="ladder_run"),
]
