"""Search: a Whoosh index over the knowledge base and every passage of the seeds."""
