/** placeholder */
package dev.continuity.core;
