"""Routes of the talks and referrals pages."""

from django.urls import path

from vanguard.supervision.talks import views

app_name = "talks"
urlpatterns = [
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/new/", views.propose_talk, name="propose"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/approve/", views.approve_talk, name="approve"),
    path("talks/<int:pk>/notify/", views.notify_talk, name="notify"),
    path("talks/<int:pk>/record/", views.record_talk, name="record"),
    path("talks/<int:pk>/follow-up/", views.follow_up_talk, name="follow_up"),
    path("talks/<int:pk>/refer/", views.refer_talk, name="refer"),
    path("talks/<int:pk>/dismiss/", views.dismiss_referral, name="dismiss"),
    path("talks/<int:pk>/notice.docx", views.talk_notice, name="notice"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.refer_matter, name="refer_matter"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/decide/", views.decide_referral, name="decide"),
    path("referrals/<int:pk>/case-file.zip", views.referral_zip, name="case_file"),
]
