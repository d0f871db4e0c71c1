"""Leading enterprises in industry-based poverty alleviation (扶贫龙头企业)."""
