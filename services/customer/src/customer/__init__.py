"""Customer service: accounts, contacts, lifecycle, relationships, activities, tasks and the public pool."""
