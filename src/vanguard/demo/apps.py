from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vanguard.demo"
    label = "demo"
