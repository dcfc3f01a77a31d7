from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "cityzero.reviews"
    label = "reviews"
