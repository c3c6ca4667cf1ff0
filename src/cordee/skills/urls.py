from cordee.skills import urls_exchanges, urls_listings

app_name = "skills"

urlpatterns = [*urls_listings.urlpatterns, *urls_exchanges.urlpatterns]
