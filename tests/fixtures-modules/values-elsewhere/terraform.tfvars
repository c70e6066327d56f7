prefix = "prod/*" // set by the release pipeline
