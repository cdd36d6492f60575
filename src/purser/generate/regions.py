"""AWS regions by code, and the names people call them by ("Frankfurt", "N. Virginia")."""

from __future__ import annotations

#: Region code → its place name.
REGIONS: dict[str, str] = {
    "us-east-1": "N. Virginia", "us-east-2": "Ohio", "us-west-1": "N. California",
    "us-west-2": "Oregon", "ca-central-1": "Canada (Central)", "sa-east-1": "São Paulo",
    "eu-west-1": "Ireland", "eu-west-2": "London", "eu-west-3": "Paris",
    "eu-central-1": "Frankfurt", "eu-north-1": "Stockholm", "eu-south-1": "Milan",
    "ap-southeast-1": "Singapore", "ap-southeast-2": "Sydney", "ap-northeast-1": "Tokyo",
    "ap-northeast-2": "Seoul", "ap-south-1": "Mumbai",
}

#: Lower-case names and aliases → region code. Longer names are matched first.
ALIASES: dict[str, str] = {
    "n. virginia": "us-east-1", "n virginia": "us-east-1", "northern virginia": "us-east-1",
    "north virginia": "us-east-1", "virginia": "us-east-1", "us east": "us-east-1",
    "ohio": "us-east-2", "n. california": "us-west-1", "northern california": "us-west-1",
    "california": "us-west-1", "oregon": "us-west-2", "us west": "us-west-2",
    "canada": "ca-central-1", "montreal": "ca-central-1", "são paulo": "sa-east-1",
    "sao paulo": "sa-east-1", "brazil": "sa-east-1", "ireland": "eu-west-1",
    "dublin": "eu-west-1", "london": "eu-west-2", "paris": "eu-west-3",
    "frankfurt": "eu-central-1", "germany": "eu-central-1", "stockholm": "eu-north-1",
    "sweden": "eu-north-1", "milan": "eu-south-1", "italy": "eu-south-1",
    "singapore": "ap-southeast-1", "sydney": "ap-southeast-2", "australia": "ap-southeast-2",
    "tokyo": "ap-northeast-1", "japan": "ap-northeast-1", "seoul": "ap-northeast-2",
    "korea": "ap-northeast-2", "mumbai": "ap-south-1", "india": "ap-south-1",
}

#: Where personal data goes when GDPR applies and no region is named.
GDPR_DEFAULT = "eu-central-1"


def is_eu(region: str) -> bool:
    return region.startswith("eu-")
