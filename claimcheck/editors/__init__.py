"""Editor integrations: they translate between an editor protocol and the library, nothing more."""
