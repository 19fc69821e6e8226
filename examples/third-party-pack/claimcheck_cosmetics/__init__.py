"""Rule packs for claimcheck; the pack files sit in this folder (no code runs on import)."""
