"""Configs of other tools turned into ours: the original ST-GCN's YAML."""
