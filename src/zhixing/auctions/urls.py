"""Auction pages: the public portal under /auctions/ and the clerk's pages under /auctions/manage/."""

from django.urls import path

from . import views_public, views_staff

urlpatterns = [
    path("auctions/", views_public.lots, name="auctions_lots"),
    path("auctions/<int:lot_id>/", views_public.lot_page, name="auctions_lot"),
    path("auctions/<int:lot_id>/join/", views_public.join, name="auctions_join"),
    path("auctions/<int:lot_id>/deposit/", views_public.pay_deposit, name="auctions_pay_deposit"),
    path("auctions/<int:lot_id>/bid/", views_public.bid, name="auctions_bid"),
    path("auctions/bidder/", views_public.bidder_page, name="auctions_bidder"),
    path("auctions/bidder/register/", views_public.register, name="auctions_register"),
    path("auctions/bidder/signin/", views_public.signin, name="auctions_signin"),
    path("auctions/bidder/signout/", views_public.signout, name="auctions_signout"),
    path("auctions/manage/", views_staff.manage, name="auctions_manage"),
    path("auctions/manage/new/<int:asset_id>/", views_staff.new_lot, name="auctions_new_lot"),
    path("auctions/manage/<int:lot_id>/", views_staff.manage_lot, name="auctions_manage_lot"),
    path("auctions/manage/<int:lot_id>/<str:action>/", views_staff.lot_action, name="auctions_lot_action"),
    path("auctions/manage/statistics/", views_staff.statistics, name="auctions_statistics"),
]
