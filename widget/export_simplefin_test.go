// SPDX-License-Identifier: Apache-2.0

package widget

// SimpleFINMessages exposes the simplefin page's texts to the tests.
var SimpleFINMessages = simplefinMessages
