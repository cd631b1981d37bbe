"""Indonesian K3 law (``id-k3``): noise measurements and the K3 duties they and the
workplace give rise to."""
