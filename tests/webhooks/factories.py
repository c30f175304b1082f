import factory

from api.webhooks.models import Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Site {n}")
    url = factory.Sequence(lambda n: f"https://reader{n}.example.org/hooks")

    class Meta:
        model = Subscriber
