from cordee.projects import urls_actions, urls_calls

app_name = "projects"

urlpatterns = [*urls_calls.urlpatterns, *urls_actions.urlpatterns]
