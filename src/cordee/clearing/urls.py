from cordee.clearing import urls_statements, urls_web

app_name = "clearing"

urlpatterns = [*urls_web.urlpatterns, *urls_statements.urlpatterns]
