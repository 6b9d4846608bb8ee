"""Schools, IT inventory, media concepts, the media development plan and equal digitalization."""
