from django.urls import path

from oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.review, name="review"),
    path("<int:pk>/mark/", views.mark, name="mark"),
    path("<int:pk>/unmark/", views.unmark, name="unmark"),
    path("<int:pk>/send-back/", views.send_back, name="send_back"),
    path("send-backs/<int:pk>/address/", views.address, name="address"),
]
