"""Every read: querysets and page data, no writes."""
