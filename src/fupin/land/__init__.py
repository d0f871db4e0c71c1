"""Land transfer for large-scale operation (土地流转规模经营)."""
