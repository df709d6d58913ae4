#pragma once
/// @file
/// Version of ctgrad. Example: `static_assert(CTGRAD_VERSION_MAJOR == 0);`
#define CTGRAD_VERSION_MAJOR 0
#define CTGRAD_VERSION_MINOR 1
#define CTGRAD_VERSION_PATCH 0
