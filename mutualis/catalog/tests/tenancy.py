from mutualis.catalog.models import Service, ServiceRequest, Subscription
from mutualis.catalog.tests.factories import (
    ServiceFactory,
    ServiceRequestFactory,
    SubscriptionFactory,
)

builders = {
    Service: lambda a: ServiceFactory(),
    ServiceRequest: lambda a: ServiceRequestFactory(member=a),
    Subscription: lambda a: SubscriptionFactory(member=a),
}
