"""MkDocs glue for the site: the exercise Markdown extension and the build hook."""
