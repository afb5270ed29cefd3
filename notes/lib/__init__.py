"""Pure helpers: they import no model, selector, service or view, so anything may use them."""
