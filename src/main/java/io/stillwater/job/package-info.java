/** Jobs: the request a client makes, its normalised spec, its life in the job store. */
package io.stillwater.job;
