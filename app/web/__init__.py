"""Web support shared by the blueprints: the analysis of a case's stored certificate, uploads, language, templates."""
