"""Key economic indicators (经济运行重点指标): catalogue, areas and monthly observations."""
